-- Every valid order was paid exactly its total (one captured payment); cancelled orders keep nothing.
select order_id, status, total_amount, captured_amount
from {{ref "fct_orders"}}
where (is_valid and captured_amount <> total_amount)
   or (not is_valid and captured_amount <> 0)
