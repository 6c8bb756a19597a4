// The silo executable; composed in the runtime issue.
return 0;
