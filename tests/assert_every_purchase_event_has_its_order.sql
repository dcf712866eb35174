{{config severity="warn"}}
-- A tracked purchase names an order the shop database knows, for the same amount. Warn only: the
-- tracking API may receive a purchase before the order's row is extracted.
select s.session_id, s.order_id, s.purchase_revenue, o.total_amount
from {{ref "fct_sessions"}} as s
left join {{ref "fct_orders"}} as o using (order_id)
where s.has_purchase and (o.order_id is null or s.purchase_revenue <> o.total_amount)
