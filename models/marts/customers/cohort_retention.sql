-- Monthly cohort retention: customers grouped by the month of their first valid order, and how many of
-- them ordered again k months later (month_offset 0 is the first month; every offset up to the last month with data).
with activity as (
    select distinct
        customer_id,
        date_trunc('month', placed_at)::date as activity_month
    from {{ref "fct_orders"}}
    where is_valid
),

cohorts as (
    select cohort_month, count(*) as cohort_size
    from {{ref "int_customer_order_summary"}}
    group by cohort_month
),

last_month as (
    select max(activity_month) as last_month from activity
),

offsets as (
    select
        c.cohort_month,
        c.cohort_size,
        o.month_offset
    from cohorts as c
    cross join last_month as l
    cross join range(0, 1000) as o(month_offset)
    where c.cohort_month + to_months(cast(o.month_offset as integer)) <= l.last_month
),

active as (
    select
        s.cohort_month,
        date_diff('month', s.cohort_month, a.activity_month) as month_offset,
        count(*) as active_customers
    from activity as a
    join {{ref "int_customer_order_summary"}} as s using (customer_id)
    group by all
)

select
    o.cohort_month,
    strftime(o.cohort_month, '%Y-%m') as cohort,
    cast(o.month_offset as integer) as month_offset,
    o.cohort_size,
    coalesce(a.active_customers, 0) as active_customers,
    round(coalesce(a.active_customers, 0) / o.cohort_size, 4) as retention_rate
from offsets as o
left join active as a
    on a.cohort_month = o.cohort_month
    and a.month_offset = o.month_offset
