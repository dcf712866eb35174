-- Daily ad spend per campaign, in EUR at the rate of the spend day, with the channel its clicks map to.
select
    s.ad_spend_id,
    s.spend_date,
    s.platform,
    s.campaign_id,
    s.campaign_name,
    {{> channel_group mapping="cm" utm_source="s.utm_source"}} as channel_group,
    s.impressions,
    s.clicks,
    s.spend,
    s.currency,
    {{> to_reporting_currency amount="s.spend" rate="fx.rate_to_eur"}} as spend_eur
from {{ref "stg_web_api__ad_spend"}} as s
left join {{ref "channel_mapping"}} as cm
    on cm.utm_source = s.utm_source
    and cm.utm_medium = s.utm_medium
left join {{ref "exchange_rates"}} as fx
    on fx.currency_code = s.currency
    and fx.rate_date = s.spend_date
