-- every user needs a status
ALTER TABLE users ADD COLUMN status varchar(20) NOT NULL;
