-- One row per customer with at least one valid order: counts, first and last order, money in EUR.
-- Inlined (ephemeral) into dim_customers, customer_lifetime_value, rfm_segments and cohort_retention.
select
    customer_id,
    count(*) as orders,
    min(placed_at) as first_order_at,
    cast(min(placed_at) as date) as first_order_date,
    max(placed_date) as last_order_date,
    date_trunc('month', min(placed_at))::date as cohort_month,
    sum(total_amount_eur) as gross_revenue_eur,
    sum(refunded_amount_eur) as refunds_eur,
    sum(net_revenue_eur) as net_revenue_eur,
    sum(item_count) as items_bought
from {{ref "fct_orders"}}
where is_valid
group by customer_id
