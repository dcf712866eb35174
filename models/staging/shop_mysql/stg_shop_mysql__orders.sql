-- One row per order, newest version: an order lands again with every status change
-- (placed, shipped, delivered, returned or cancelled), and only its newest row is kept.
select
    order_id,
    customer_id,
    session_id,
    sales_channel,
    marketplace,
    status,
    currency,
    shipping_country_code,
    shipping_address_id,
    items_amount,
    discount_amount,
    shipping_amount,
    total_amount,
    discount_code,
    status = 'cancelled' as is_cancelled,
    timezone('UTC', placed_at) as placed_at,
    cast(timezone('UTC', placed_at) as date) as placed_date,
    timezone('UTC', updated_at) as updated_at
from {{source "shop_mysql" "orders"}}
qualify row_number() over (partition by order_id order by updated_at desc, _strata_loaded_at desc) = 1
