-- Marketing spend against the revenue it brought, per day, channel and campaign, in EUR. Revenue is
-- attributed last-touch: a valid order counts for the campaign of the session that placed it, on the
-- day it was placed. Channels without spend (direct, email, organic) have rows with spend 0.
with spend as (
    select
        spend_date as activity_date,
        channel_group,
        campaign_name,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend_eur) as spend_eur
    from {{ref "int_ad_spend_converted"}}
    group by all
),

sessions as (
    select
        session_date as activity_date,
        channel_group,
        coalesce(utm_campaign, '(none)') as campaign_name,
        count(*) as sessions
    from {{ref "fct_sessions"}}
    group by all
),

revenue as (
    select
        placed_date as activity_date,
        channel_group,
        coalesce(utm_campaign, '(none)') as campaign_name,
        count(*) as attributed_orders,
        sum(total_amount_eur) as attributed_revenue_eur
    from {{ref "fct_orders"}}
    where is_valid and sales_channel <> 'marketplace'
    group by all
),

keys as (
    select activity_date, channel_group, campaign_name from spend
    union
    select activity_date, channel_group, campaign_name from sessions
    union
    select activity_date, channel_group, campaign_name from revenue
)

select
    k.activity_date,
    k.channel_group,
    k.campaign_name,
    coalesce(s.impressions, 0) as impressions,
    coalesce(s.clicks, 0) as clicks,
    coalesce(se.sessions, 0) as sessions,
    coalesce(s.spend_eur, 0) as spend_eur,
    coalesce(r.attributed_orders, 0) as attributed_orders,
    coalesce(r.attributed_revenue_eur, 0) as attributed_revenue_eur,
    {{safe_divide "coalesce(r.attributed_revenue_eur, 0)" "s.spend_eur" 4}} as roas,
    {{safe_divide "s.spend_eur" "r.attributed_orders" 2}} as cost_per_order_eur,
    {{safe_divide "s.spend_eur" "s.clicks" 4}} as cost_per_click_eur
from keys as k
left join spend as s using (activity_date, channel_group, campaign_name)
left join sessions as se using (activity_date, channel_group, campaign_name)
left join revenue as r using (activity_date, channel_group, campaign_name)
