select
    cast(ordered_at as date) as order_date,
    count(*) as orders,
    sum(order_amount) filter (where is_paid) as paid_revenue,
    sum(order_amount) as gross_revenue
from {{ref "fct_orders"}}
group by 1
