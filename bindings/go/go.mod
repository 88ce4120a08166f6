module psinfo.example/pslist

go 1.19
