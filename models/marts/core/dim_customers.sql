-- One row per customer: profile, home country and region, default shipping address, and order history in EUR.
with default_shipping as (
    select *
    from {{ref "stg_shop_mysql__addresses"}}
    where address_type = 'shipping'
    qualify row_number() over (partition by customer_id order by is_default desc, updated_at desc, address_id desc) = 1
)

select
    c.customer_id,
    c.email,
    c.first_name,
    c.last_name,
    c.country_code,
    co.country_name,
    co.region,
    c.is_marketing_opt_in,
    a.city as shipping_city,
    a.postal_code as shipping_postal_code,
    a.country_code as shipping_country_code,
    c.created_at,
    cast(c.created_at as date) as signed_up_date,
    s.first_order_at,
    s.first_order_date,
    s.last_order_date,
    s.cohort_month,
    coalesce(s.orders, 0) as orders,
    coalesce(s.gross_revenue_eur, 0) as gross_revenue_eur,
    coalesce(s.net_revenue_eur, 0) as net_revenue_eur,
    s.customer_id is not null as has_ordered,
    coalesce(s.orders, 0) > 1 as is_repeat_buyer,
    c.updated_at
from {{ref "stg_shop_mysql__customers"}} as c
left join {{ref "countries"}} as co on co.country_code = c.country_code
left join default_shipping as a on a.customer_id = c.customer_id
left join {{ref "int_customer_order_summary"}} as s on s.customer_id = c.customer_id
