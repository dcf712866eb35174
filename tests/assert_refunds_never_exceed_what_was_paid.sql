-- A line is never refunded more than it cost, nor an order more than its items.
select 'order_item' as level, order_item_id as id, line_amount as paid, refunded_amount as refunded
from {{ref "fct_order_items"}}
where refunded_amount > line_amount
union all
select 'order', order_id, items_amount, refunded_amount
from {{ref "fct_orders"}}
where refunded_amount > items_amount
