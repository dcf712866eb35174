select
    order_id,
    customer_id,
    status,
    ordered_at,
    updated_at,
    {{cents_to_dollars "shipping_cents"}} as shipping_amount
from {{ref "raw_orders"}}
where ordered_at >= date '{{var "start_date"}}'
