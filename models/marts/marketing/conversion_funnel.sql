-- The conversion funnel per UTC day of the session start, device and channel: sessions, and sessions
-- that reached each step at least once (events deduplicated by event_id in staging).
select
    session_date,
    device,
    channel_group,
    count(*) as sessions,
    count(*) filter (where has_page_view) as page_view_sessions,
    count(*) filter (where has_add_to_cart) as add_to_cart_sessions,
    count(*) filter (where has_checkout) as checkout_sessions,
    count(*) filter (where has_purchase) as purchase_sessions,
    {{safe_divide "count(*) filter (where has_add_to_cart)" "count(*)" 4}} as add_to_cart_rate,
    {{safe_divide "count(*) filter (where has_purchase)" "count(*) filter (where has_checkout)" 4}} as checkout_completion_rate,
    {{safe_divide "count(*) filter (where has_purchase)" "count(*)" 4}} as conversion_rate
from {{ref "fct_sessions"}}
where has_session_start
group by all
