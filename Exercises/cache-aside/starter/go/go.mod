module cache-aside

go 1.19
