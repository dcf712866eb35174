-- One row per product: catalogue attributes, leaf and root category, variants, current EUR price range and reviews.
with prices as (
    select
        product_id,
        min(list_price) as min_price_eur,
        max(list_price) as max_price_eur
    from {{ref "stg_shop_mongo__variant_prices"}}
    where currency = '{{var "reporting_currency"}}'
    group by product_id
),

reviews as (
    select
        product_id,
        count(*) as review_count,
        round(avg(rating), 2) as average_rating
    from {{ref "stg_shop_mongo__reviews"}}
    group by product_id
)

select
    p.product_id,
    p.product_name,
    p.brand,
    p.status,
    p.is_active,
    p.category_id,
    leaf.category_name,
    coalesce(root.category_id, leaf.category_id) as root_category_id,
    coalesce(root.category_name, leaf.category_name) as root_category_name,
    p.material,
    p.season,
    p.origin_country,
    p.variant_count,
    pr.min_price_eur,
    pr.max_price_eur,
    coalesce(rv.review_count, 0) as review_count,
    rv.average_rating,
    p.created_at,
    p.updated_at
from {{ref "stg_shop_mongo__products"}} as p
left join {{ref "stg_shop_mongo__categories"}} as leaf on leaf.category_id = p.category_id
left join {{ref "stg_shop_mongo__categories"}} as root on root.category_id = leaf.parent_category_id
left join prices as pr using (product_id)
left join reviews as rv using (product_id)
