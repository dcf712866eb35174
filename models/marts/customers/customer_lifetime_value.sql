-- Lifetime value of every customer with a valid order: what they bought and kept, in EUR, and for how long.
with as_of as (
    select max(placed_date) as as_of_date from {{ref "fct_orders"}}
)

select
    s.customer_id,
    s.cohort_month,
    s.first_order_date,
    s.last_order_date,
    s.orders,
    s.items_bought,
    s.gross_revenue_eur,
    s.refunds_eur,
    s.net_revenue_eur,
    round(s.net_revenue_eur / s.orders, 2) as average_order_value_eur,
    date_diff('day', s.first_order_date, s.last_order_date) as customer_lifespan_days,
    date_diff('day', s.last_order_date, a.as_of_date) as days_since_last_order,
    s.orders > 1 as is_repeat_buyer
from {{ref "int_customer_order_summary"}} as s
cross join as_of as a
