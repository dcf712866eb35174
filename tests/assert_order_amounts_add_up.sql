-- An order's amount is its items plus shipping; rows returned here are orders where it is not.
select order_id, order_amount, items_amount, shipping_amount
from {{ref "fct_orders"}}
where abs(order_amount - (items_amount + shipping_amount)) > 0.005
