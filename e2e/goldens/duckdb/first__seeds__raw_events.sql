create table "shop"."main"."raw_events__strata_tmp" ("id" INTEGER, "line" INTEGER, "v" VARCHAR, "updated_at" DATE);

-- 2 rows from seeds/raw_events.csv;

alter table "shop"."main"."raw_events__strata_tmp" rename to "raw_events";
