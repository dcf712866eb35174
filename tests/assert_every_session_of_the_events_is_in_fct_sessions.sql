-- Every session the web events name is one row of fct_sessions, counting every one of its events.
-- Fails when an incremental run missed late events of a session, or left the sessions table empty.
with from_events as (
    select session_id, count(*) as event_count
    from {{ref "stg_web_api__events"}}
    group by session_id
)

select e.session_id, e.event_count, s.event_count as event_count_in_fct_sessions
from from_events as e
left join {{ref "fct_sessions"}} as s using (session_id)
where s.session_id is null or s.event_count <> e.event_count
