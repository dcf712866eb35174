-- No order is placed before its customer signed up. Rows returned are the orders that are.
select o.order_id, o.customer_id, o.placed_at, c.created_at as customer_created_at
from {{ref "fct_orders"}} as o
join {{ref "stg_shop_mysql__customers"}} as c using (customer_id)
where o.placed_at < c.created_at
