create table "shop"."main_marts"."events_table__strata_tmp" as
select id, v from "shop"."main"."stg_events"
;

drop table if exists "shop"."main_marts"."events_table";

alter table "shop"."main_marts"."events_table__strata_tmp" rename to "events_table";
