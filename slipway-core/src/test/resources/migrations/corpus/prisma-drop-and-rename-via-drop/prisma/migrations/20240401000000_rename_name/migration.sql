/*
  Warnings:

  - You are about to drop the column `name` on the `User` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "User" ADD COLUMN     "fullName" TEXT;
ALTER TABLE "User" DROP COLUMN "name";
