-- Each funnel step is reached by no more sessions than the step before it.
select *
from {{ref "conversion_funnel"}}
where page_view_sessions > sessions
   or add_to_cart_sessions > sessions
   or checkout_sessions > add_to_cart_sessions
   or purchase_sessions > checkout_sessions
