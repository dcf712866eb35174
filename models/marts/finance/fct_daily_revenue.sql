-- Revenue per UTC day, sales channel and shipping country, in EUR: valid orders on the day they were
-- placed, completed refunds on the day they were created (attributed to their order's channel and country).
with orders as (
    select
        placed_date as revenue_date,
        sales_channel,
        shipping_country_code as country_code,
        count(*) as orders,
        sum(item_count) as items_sold,
        sum(total_amount_eur) as gross_revenue_eur
    from {{ref "fct_orders"}}
    where is_valid
    group by all
),

refunds as (
    select
        r.refunded_date as revenue_date,
        o.sales_channel,
        o.shipping_country_code as country_code,
        count(*) as refunds,
        sum(r.amount_eur) as refunds_eur
    from {{ref "int_refunds_converted"}} as r
    join {{ref "fct_orders"}} as o using (order_id)
    where r.is_completed
    group by all
),

days as (
    select
        coalesce(o.revenue_date, r.revenue_date) as revenue_date,
        coalesce(o.sales_channel, r.sales_channel) as sales_channel,
        coalesce(o.country_code, r.country_code) as country_code,
        coalesce(o.orders, 0) as orders,
        coalesce(o.items_sold, 0) as items_sold,
        coalesce(o.gross_revenue_eur, 0) as gross_revenue_eur,
        coalesce(r.refunds, 0) as refunds,
        coalesce(r.refunds_eur, 0) as refunds_eur
    from orders as o
    full outer join refunds as r
        on r.revenue_date = o.revenue_date
        and r.sales_channel = o.sales_channel
        and r.country_code = o.country_code
)

select
    d.revenue_date,
    d.sales_channel,
    d.country_code,
    c.region,
    cast(d.orders as bigint) as orders,
    cast(d.items_sold as bigint) as items_sold,
    cast(d.gross_revenue_eur as decimal(18, 2)) as gross_revenue_eur,
    cast(d.refunds as bigint) as refunds,
    cast(d.refunds_eur as decimal(18, 2)) as refunds_eur,
    cast(d.gross_revenue_eur - d.refunds_eur as decimal(18, 2)) as net_revenue_eur,
    cast({{safe_divide "d.gross_revenue_eur" "d.orders" 2}} as decimal(18, 2)) as average_order_value_eur
from days as d
left join {{ref "countries"}} as c on c.country_code = d.country_code
