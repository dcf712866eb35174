-- Order-level totals from the order lines; inlined as a CTE wherever it is used.
select
    order_id,
    count(*) as line_count,
    sum(quantity) as item_count,
    sum(line_amount) as items_amount
from {{ref "stg_order_items"}}
group by order_id
