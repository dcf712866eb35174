-- One row per payment attempt, newest status: failed attempts stay, captured payments of
-- cancelled orders become voided.
select
    payment_id,
    order_id,
    payment_method,
    status,
    amount,
    currency,
    timezone('UTC', created_at) as created_at,
    timezone('UTC', updated_at) as updated_at
from {{source "shop_mysql" "payments"}}
qualify row_number() over (partition by payment_id order by updated_at desc, _strata_loaded_at desc) = 1
