-- Refunds with their amount in the reporting currency, at the rate of the day the refund was created.
select
    r.refund_id,
    r.order_id,
    r.order_item_id,
    r.status,
    r.status = 'completed' as is_completed,
    r.reason,
    r.amount,
    r.currency,
    r.refunded_date,
    fx.rate_to_eur,
    {{> to_reporting_currency amount="r.amount" rate="fx.rate_to_eur"}} as amount_eur,
    r.created_at
from {{ref "stg_shop_mysql__refunds"}} as r
left join {{ref "exchange_rates"}} as fx
    on fx.currency_code = r.currency
    and fx.rate_date = r.refunded_date
