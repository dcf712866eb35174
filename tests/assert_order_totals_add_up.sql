-- An order's total is its items minus its discount plus shipping, and its items are the sum of its lines.
with lines as (
    select order_id, sum(line_amount) as lines_amount
    from {{ref "fct_order_items"}}
    group by order_id
)
select o.order_id, o.items_amount, l.lines_amount, o.discount_amount, o.shipping_amount, o.total_amount
from {{ref "fct_orders"}} as o
left join lines as l using (order_id)
where o.total_amount <> o.items_amount - o.discount_amount + o.shipping_amount
   or o.items_amount is distinct from l.lines_amount
