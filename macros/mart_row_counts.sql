-- strata run-operation mart_row_counts: the row count of each fact table, a quick look after a build.
select 'fct_orders' as model, count(*) as row_count from {{ref "fct_orders"}}
union all
select 'fct_order_items', count(*) from {{ref "fct_order_items"}}
union all
select 'fct_sessions', count(*) from {{ref "fct_sessions"}}
union all
select 'fct_daily_revenue', count(*) from {{ref "fct_daily_revenue"}}
order by model
