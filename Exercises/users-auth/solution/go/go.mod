module users-auth

go 1.19
