-- One row per order (its newest version), with payments, refunds and EUR amounts at the rate of the order day.
with items as (
    select
        order_id,
        count(*) as line_count,
        sum(quantity) as item_count
    from {{ref "stg_shop_mysql__order_items"}}
    group by order_id
),

refunds as (
    select
        order_id,
        count(*) as refunds,
        sum(amount) as refunded_amount,
        sum(amount_eur) as refunded_amount_eur
    from {{ref "int_refunds_converted"}}
    where is_completed
    group by order_id
),

orders as (
    select
        o.*,
        not o.is_cancelled as is_valid,
        fx.rate_to_eur,
        {{> to_reporting_currency amount="o.total_amount" rate="fx.rate_to_eur"}} as total_amount_eur
    from {{ref "stg_shop_mysql__orders"}} as o
    left join {{ref "exchange_rates"}} as fx
        on fx.currency_code = o.currency
        and fx.rate_date = o.placed_date
)

select
    o.order_id,
    o.customer_id,
    o.session_id,
    o.sales_channel,
    o.marketplace,
    -- Last-touch attribution: the channel of the session that placed the order.
    case when o.sales_channel = 'marketplace' then 'marketplace' else coalesce(s.channel_group, 'direct') end as channel_group,
    s.utm_campaign,
    o.status,
    o.is_valid,
    o.currency,
    o.shipping_country_code,
    o.shipping_address_id,
    o.discount_code,
    coalesce(i.line_count, 0) as line_count,
    coalesce(i.item_count, 0) as item_count,
    o.items_amount,
    o.discount_amount,
    o.shipping_amount,
    o.total_amount,
    coalesce(p.captured_amount, 0) as captured_amount,
    p.payment_method,
    coalesce(p.failed_payment_attempts, 0) as failed_payment_attempts,
    coalesce(r.refunded_amount, 0) as refunded_amount,
    case when o.is_valid then o.total_amount else 0 end - coalesce(r.refunded_amount, 0) as net_amount,
    o.rate_to_eur,
    o.total_amount_eur,
    coalesce(r.refunded_amount_eur, 0) as refunded_amount_eur,
    case when o.is_valid then o.total_amount_eur else 0 end - coalesce(r.refunded_amount_eur, 0) as net_revenue_eur,
    case when o.is_valid then row_number() over (partition by o.customer_id, o.is_valid order by o.placed_at, o.order_id) end as customer_order_number,
    o.placed_at,
    o.placed_date,
    o.updated_at
from orders as o
left join items as i using (order_id)
left join {{ref "int_order_payments"}} as p using (order_id)
left join refunds as r using (order_id)
left join {{ref "fct_sessions"}} as s on s.session_id = o.session_id
