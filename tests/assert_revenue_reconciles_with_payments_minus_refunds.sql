-- Net revenue reconciles with the money that moved: per currency, captured payments of valid orders
-- minus completed refunds equal the net amount of fct_orders; and in EUR, the daily revenue mart adds up
-- to the orders and refunds it is built from. Rows returned are the currencies (or 'EUR total') that differ.
with payments as (
    select o.currency, sum(p.amount) as captured
    from {{ref "stg_shop_mysql__payments"}} as p
    join {{ref "stg_shop_mysql__orders"}} as o using (order_id)
    where p.status = 'captured' and not o.is_cancelled
    group by o.currency
),

refunds as (
    select currency, sum(amount) as refunded
    from {{ref "stg_shop_mysql__refunds"}}
    where status = 'completed'
    group by currency
),

booked as (
    select currency, sum(net_amount) as net_amount
    from {{ref "fct_orders"}}
    group by currency
),

by_currency as (
    select
        b.currency,
        coalesce(p.captured, 0) - coalesce(r.refunded, 0) as payments_minus_refunds,
        b.net_amount as booked
    from booked as b
    left join payments as p using (currency)
    left join refunds as r using (currency)
),

in_eur as (
    select
        'EUR total' as currency,
        (select sum(total_amount_eur) from {{ref "fct_orders"}} where is_valid)
            - (select coalesce(sum(amount_eur), 0) from {{ref "int_refunds_converted"}} where is_completed) as payments_minus_refunds,
        (select sum(net_revenue_eur) from {{ref "fct_daily_revenue"}}) as booked
)

select * from by_currency where payments_minus_refunds <> booked
union all
select * from in_eur where payments_minus_refunds is distinct from booked
