-- One row per order line, with its amount in the order's currency.
select
    order_item_id,
    order_id,
    line_number,
    product_id,
    sku,
    quantity,
    unit_price,
    cast(quantity * unit_price as decimal(12, 2)) as line_amount,
    timezone('UTC', created_at) as created_at,
    timezone('UTC', updated_at) as updated_at
from {{source "shop_mysql" "order_items"}}
qualify row_number() over (partition by order_item_id order by updated_at desc, _strata_loaded_at desc) = 1
