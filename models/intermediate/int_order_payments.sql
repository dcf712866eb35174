-- Payments rolled up to one row per order: what was captured, with which method, after how many failed attempts.
select
    order_id,
    count(*) as payment_attempts,
    count(*) filter (where status = 'failed') as failed_payment_attempts,
    coalesce(sum(amount) filter (where status = 'captured'), 0) as captured_amount,
    -- The method of the payment that went through; arg_min keeps one deterministic value.
    arg_min(payment_method, payment_id) filter (where status = 'captured') as payment_method,
    min(created_at) filter (where status = 'captured') as captured_at
from {{ref "stg_shop_mysql__payments"}}
group by order_id
