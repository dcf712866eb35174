{{config unique_key="address_id" strategy="timestamp" updated_at="updated_at" hard_deletes="new_record"}}
-- Type-2 history of customer addresses (customers move: street, city and postal code change in place).
-- An address deleted in the shop database gets a closing record with dbt_is_deleted = 'True'.
select
    address_id,
    customer_id,
    address_type,
    street,
    city,
    postal_code,
    country_code,
    is_default,
    updated_at
from {{ref "stg_shop_mysql__addresses"}}
