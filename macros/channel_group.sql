{{!-- The marketing channel of a session or a campaign, from seeds/channel_mapping: traffic without
      utm parameters is direct, pairs the mapping does not know are 'other'.
      mapping: the alias of the joined channel_mapping seed; utm_source: the utm_source column. --}}
coalesce({{mapping}}.channel_group, case when {{utm_source}} is null then 'direct' else 'other' end)
