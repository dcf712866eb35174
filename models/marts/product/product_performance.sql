-- Sales and returns per product over the whole history, in EUR: item revenue of valid orders (before
-- order-level discounts and shipping), units returned with completed refunds, and reviews.
with sales as (
    select
        product_id,
        count(distinct order_id) as orders,
        sum(quantity) as units_sold,
        sum(line_amount_eur) as gross_revenue_eur,
        sum(quantity) filter (where is_returned) as units_returned,
        sum(refunded_amount_eur) as refunds_eur
    from {{ref "fct_order_items"}}
    where is_valid_order
    group by product_id
)

select
    p.product_id,
    p.product_name,
    p.brand,
    p.root_category_name,
    p.category_name,
    p.is_active,
    coalesce(s.orders, 0) as orders,
    coalesce(s.units_sold, 0) as units_sold,
    coalesce(s.gross_revenue_eur, 0) as gross_revenue_eur,
    coalesce(s.units_returned, 0) as units_returned,
    coalesce(s.refunds_eur, 0) as refunds_eur,
    coalesce(s.gross_revenue_eur, 0) - coalesce(s.refunds_eur, 0) as net_revenue_eur,
    {{safe_divide "coalesce(s.units_returned, 0)" "s.units_sold" 4}} as return_rate,
    p.review_count,
    p.average_rating
from {{ref "dim_products"}} as p
left join sales as s using (product_id)
