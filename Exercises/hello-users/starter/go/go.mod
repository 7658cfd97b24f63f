module hello-users

go 1.19
