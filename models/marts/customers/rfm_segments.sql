-- RFM segmentation of customers with a valid order: recency, frequency and monetary value scored 1-5
-- (quintiles; ties broken by customer_id so the scores are reproducible), then named segments.
with as_of as (
    select max(placed_date) as as_of_date from {{ref "fct_orders"}}
),

base as (
    select
        s.customer_id,
        date_diff('day', s.last_order_date, a.as_of_date) as recency_days,
        s.orders as frequency,
        s.net_revenue_eur as monetary_eur
    from {{ref "int_customer_order_summary"}} as s
    cross join as_of as a
),

scored as (
    select
        *,
        ntile(5) over (order by recency_days desc, customer_id) as recency_score,
        ntile(5) over (order by frequency, customer_id) as frequency_score,
        ntile(5) over (order by monetary_eur, customer_id) as monetary_score
    from base
)

select
    customer_id,
    recency_days,
    frequency,
    monetary_eur,
    recency_score,
    frequency_score,
    monetary_score,
    recency_score * 100 + frequency_score * 10 + monetary_score as rfm_cell,
    case
        when recency_score >= 4 and frequency_score >= 4 and monetary_score >= 4 then 'champions'
        when recency_score >= 3 and frequency_score >= 4 then 'loyal'
        when recency_score >= 4 and frequency_score <= 2 then 'new_or_promising'
        when recency_score <= 2 and frequency_score >= 4 then 'cannot_lose'
        when recency_score <= 2 and frequency_score >= 3 then 'at_risk'
        when recency_score <= 2 then 'hibernating'
        else 'needs_attention'
    end as segment
from scored
