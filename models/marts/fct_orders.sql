{{config materialized="incremental" unique_key="order_id" on_schema_change="append_new_columns"}}
select
    o.order_id,
    o.customer_id,
    o.status,
    o.ordered_at,
    o.updated_at,
    t.line_count,
    t.item_count,
    t.items_amount,
    o.shipping_amount,
    t.items_amount + o.shipping_amount as order_amount,
    {{> order_is_paid status="o.status"}} as is_paid
from {{ref "stg_orders"}} as o
join {{ref "int_order_totals"}} as t using (order_id)
{{#if (is_incremental)}}
where o.updated_at > (select max(updated_at) from {{this}})
{{/if}}
