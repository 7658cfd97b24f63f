module cache

go 1.19
