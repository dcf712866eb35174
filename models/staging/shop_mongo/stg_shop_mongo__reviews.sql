-- One row per review document, newest version.
select
    _id as review_id,
    product_id,
    cast(customer_id as bigint) as customer_id,
    cast(order_id as bigint) as order_id,
    cast(rating as integer) as rating,
    title,
    body,
    cast(created_at as timestamp) as created_at,
    cast(updated_at as timestamp) as updated_at
from {{source "shop_mongo" "reviews"}}
qualify row_number() over (partition by _id order by updated_at desc, _strata_loaded_at desc) = 1
