select
    customer_id,
    first_name,
    last_name,
    lower(email) as email,
    country as country_code,
    signed_up_at
from {{ref "raw_customers"}}
