/* outer /* nested; comment */ still a comment; */
INSERT INTO messages (key, body) VALUES ('greeting', 'Hello; world -- not a comment');
-- DROP TABLE users; is only a comment
INSERT INTO messages (key, body) VALUES ('quote', E'it\'s; fine');
CREATE TABLE "Odd;Name" ("a;b" int);
