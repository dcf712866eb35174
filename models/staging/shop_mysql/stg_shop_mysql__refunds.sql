-- One row per refunded order line, newest status (pending, then completed days later).
select
    refund_id,
    order_id,
    order_item_id,
    amount,
    currency,
    coalesce(reason, 'unknown') as reason,
    status,
    timezone('UTC', created_at) as created_at,
    cast(timezone('UTC', created_at) as date) as refunded_date,
    timezone('UTC', updated_at) as updated_at
from {{source "shop_mysql" "refunds"}}
qualify row_number() over (partition by refund_id order by updated_at desc, _strata_loaded_at desc) = 1
