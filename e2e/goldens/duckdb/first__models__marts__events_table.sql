create table "shop"."main_marts"."events_table__strata_tmp" as
select id, v from "shop"."main"."stg_events"
;

alter table "shop"."main_marts"."events_table__strata_tmp" rename to "events_table";
