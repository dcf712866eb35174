create table "shop"."main_marts"."events_append__strata_tmp" as
select * from "shop"."main"."stg_events"
;

alter table "shop"."main_marts"."events_append__strata_tmp" rename to "events_append";
