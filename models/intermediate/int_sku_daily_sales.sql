{{config materialized="view"}}
-- Units of each sku sold per UTC day in valid orders: what inventory and product marts measure stock against.
select
    i.sku,
    i.product_id,
    i.placed_date as sales_date,
    sum(i.quantity) as units_sold,
    count(distinct i.order_id) as orders
from {{ref "fct_order_items"}} as i
where i.is_valid_order
group by all
