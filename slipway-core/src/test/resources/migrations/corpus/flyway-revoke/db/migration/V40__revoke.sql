REVOKE INSERT ON users FROM app_rw;
