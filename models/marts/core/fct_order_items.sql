-- One row per order line, in the order currency and in EUR (rate of the order day), with what was refunded.
with refunds as (
    select
        order_item_id,
        sum(amount) as refunded_amount,
        sum(amount_eur) as refunded_amount_eur
    from {{ref "int_refunds_converted"}}
    where is_completed
    group by order_item_id
)

select
    i.order_item_id,
    i.order_id,
    o.customer_id,
    i.line_number,
    i.product_id,
    i.sku,
    i.quantity,
    i.unit_price,
    i.line_amount,
    o.currency,
    {{> to_reporting_currency amount="i.line_amount" rate="o.rate_to_eur"}} as line_amount_eur,
    r.order_item_id is not null as is_returned,
    coalesce(r.refunded_amount, 0) as refunded_amount,
    coalesce(r.refunded_amount_eur, 0) as refunded_amount_eur,
    o.is_valid as is_valid_order,
    o.sales_channel,
    o.shipping_country_code,
    o.placed_at,
    o.placed_date
from {{ref "stg_shop_mysql__order_items"}} as i
join {{ref "fct_orders"}} as o using (order_id)
left join refunds as r using (order_item_id)
