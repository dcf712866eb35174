-- Marketplace payouts: each settlement pays a marketplace order's total, less a fee, and only such orders.
select s.settlement_id, s.order_id, o.sales_channel, o.total_amount, s.gross_amount, s.fee_amount, s.net_amount
from {{ref "stg_partner_sftp__marketplace_settlements"}} as s
left join {{ref "fct_orders"}} as o using (order_id)
where o.order_id is null
   or o.sales_channel <> 'marketplace'
   or s.gross_amount <> o.total_amount
   or s.net_amount <> s.gross_amount - s.fee_amount
   or s.currency <> o.currency
