-- One row per day and campaign. Platforms restate the last two days in later loads:
-- the newest load's figure is kept.
select
    cast(spend_date as varchar) || ':' || campaign_id as ad_spend_id,
    spend_date,
    platform,
    utm_source,
    utm_medium,
    campaign_id,
    campaign_name,
    impressions,
    clicks,
    spend,
    currency
from {{source "web_api" "ad_spend"}}
qualify row_number() over (partition by spend_date, campaign_id order by _strata_loaded_at desc) = 1
