with orders as (
    select
        customer_id,
        count(*) as order_count,
        sum(case when is_paid then order_amount else 0 end) as lifetime_value,
        min(ordered_at) as first_ordered_at,
        max(ordered_at) as last_ordered_at
    from {{ref "fct_orders"}}
    group by customer_id
)
select
    c.customer_id,
    c.first_name,
    c.last_name,
    c.email,
    c.country_code,
    c.signed_up_at,
    coalesce(o.order_count, 0) as order_count,
    coalesce(o.lifetime_value, 0) as lifetime_value,
    o.first_ordered_at,
    o.last_ordered_at
from {{ref "stg_customers"}} as c
left join orders as o using (customer_id)
