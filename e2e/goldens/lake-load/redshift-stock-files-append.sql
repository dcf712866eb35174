create schema if not exists "partner_sftp";

create table if not exists "analytics"."partner_sftp"."stock" (
  "order_id" bigint,
  "amount" decimal(12,2),
  "updated_at" timestamptz,
  "note" varchar(65535),
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz,
  "_strata_source_file" varchar(65535)
);

alter table "analytics"."partner_sftp"."stock" add column "note" varchar(65535);

alter table "analytics"."partner_sftp"."stock" add column "_strata_source_file" varchar(65535);

create temporary table "stock__strata_load_0" (
  "order_id" bigint,
  "amount" decimal(12,2),
  "updated_at" timestamptz,
  "note" varchar(65535),
  "_strata_load_id" varchar(65535),
  "_strata_loaded_at" timestamptz,
  "_strata_source_file" varchar(65535)
);

copy "stock__strata_load_0"
from 's3://acme-lake/prod/raw/partner_sftp/stock/load_id=20261102T000000Z-00000002/part-'
iam_role 'arn:aws:iam::123456789012:role/strata-lake'
format as parquet;

delete from "analytics"."partner_sftp"."stock"
where "_strata_load_id" in ('20261031T000000Z-0000000a');

insert into "analytics"."partner_sftp"."stock" ("order_id", "amount", "updated_at", "note", "_strata_load_id", "_strata_loaded_at", "_strata_source_file")
select "order_id", "amount", "updated_at", "note", "_strata_load_id", "_strata_loaded_at", "_strata_source_file" from "stock__strata_load_0";

drop table "stock__strata_load_0";
