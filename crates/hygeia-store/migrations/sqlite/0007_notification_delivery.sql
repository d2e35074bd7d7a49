-- Where an organisation's notifications also go by e-mail (a regulator outside this
-- deployment, say), besides the regulator's inbox here.
create table notification_delivery (
    org_id blob primary key references orgs(id),
    email text not null,
    updated_by text not null,
    updated_at integer not null
);
